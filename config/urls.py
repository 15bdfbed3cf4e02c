from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from courses import views as course_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("credentials/", include("certificates.credential_urls")),
]

urlpatterns += i18n_patterns(
    path("", course_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("courses.urls")),
    path("", include("quizzes.urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.verify_urls")),
    path("organizations/", include("organizations.urls")),
)
