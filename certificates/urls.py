from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<id:pk>/certificate.png", views.certificate_download, {"kind": "png"}, name="png"),
    path("<id:pk>/certificate.pdf", views.certificate_download, {"kind": "pdf"}, name="pdf"),
    path("<id:pk>/credential.json", views.credential_json, name="credential_json"),
    path("<id:pk>/credential.jwt", views.credential_jwt, name="credential_jwt"),
    path("<id:pk>/badge.png", views.credential_badge, name="badge"),
    path("<id:pk>/renew/", views.certificate_renew, name="renew"),
    path("<id:pk>/name/", views.certificate_name_request, name="name_request"),
]
