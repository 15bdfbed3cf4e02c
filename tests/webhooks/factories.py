"""Factories of the webhooks app."""

import factory

from tests.organizations.factories import OrganizationFactory
from webhooks.models import Event, WebhookEndpoint


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An active endpoint of a new organization, subscribed to every event."""

    class Meta:
        model = WebhookEndpoint

    organization = factory.SubFactory(OrganizationFactory)
    url = factory.Sequence(lambda n: f"https://hr{n}.example.org/hooks/repere")
    events = factory.LazyFunction(lambda: list(Event.values))
