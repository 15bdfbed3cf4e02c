from django.urls import path

from lti import views

app_name = "lti"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/<uuid:registration_uuid>/", views.login, name="login_for_registration"),
    path("launch/", views.launch, name="launch"),
    path("deep-link/", views.deep_link, name="deep_link"),
    path("jwks/", views.jwks, name="jwks"),
    path("register/<str:token>/", views.register, name="register"),
]
