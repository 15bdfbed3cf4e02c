"""The first assignment of a course to 10,000 new members, twice, on a throw-away PostgreSQL
database, with the summary on (argument `off`: off): the time of each assignment and of
its statements over 20 ms. What `supervision.summary._analyze_bulk_written` was measured
with (the second organization's membership check, planned with stale statistics, took
seconds before it).

    .venv/bin/python benchmarks/bulk_statistics.py [on|off]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import environment


def main(mode: str) -> None:
    with environment.throwaway_postgres("repere_bulk_statistics") as url:
        environment.production_like_environment(url, hosts="testserver")
        os.environ["REPERE_DASHBOARD_SUMMARY"] = "0" if mode == "off" else "1"
        import django

        django.setup()
        from django.db import connection

        from accounts.models import User
        from courses.models import Course
        from organizations.models import Membership, Organization
        from organizations.services import assignments_create

        course = environment.prepare_database()["course"]
        for round_ in range(2):
            organization = Organization.objects.create(
                name=f"Bulk {round_}", kind="shelter", province="QC"
            )
            users = User.objects.bulk_create(
                User(email=f"bulk{round_}-{i}@example.org", full_name=f"Bulk {i}")
                for i in range(10_000)
            )
            Membership.objects.bulk_create(
                Membership(organization=organization, user=user) for user in users
            )
            learners = User.objects.filter(memberships__organization=organization)
            fresh = Course.objects.create(
                slug=f"bulk-{round_}", title_fr="Assignation", is_published=True
            )
            for assigned in (course, fresh):
                timings = []

                def timed(execute, sql, params, many, context, timings=timings):
                    start = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        timings.append((time.perf_counter() - start, " ".join(sql.split())))

                start = time.perf_counter()
                with connection.execute_wrapper(timed):
                    assignments_create(
                        organization=organization,
                        course=assigned,
                        learners=learners,
                        due_on=None,
                        assigned_by=None,
                        notify=False,
                    )
                total = time.perf_counter() - start
                print(f"organization {round_}, {assigned.slug}: {total * 1000:.0f} ms")
                for seconds, sql in timings:
                    if seconds > 0.02:
                        print(f"    {seconds * 1000:7.0f} ms  {sql[:100]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "on")
