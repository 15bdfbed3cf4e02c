from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/certificate.png", views.certificate_download, {"kind": "png"}, name="png"),
    path("<int:pk>/certificate.pdf", views.certificate_download, {"kind": "pdf"}, name="pdf"),
    path("<int:pk>/credential.json", views.credential_json, name="credential_json"),
    path("<int:pk>/credential.jwt", views.credential_jwt, name="credential_jwt"),
    path("<int:pk>/badge.png", views.credential_badge, name="badge"),
    path("<int:pk>/renew/", views.certificate_renew, name="renew"),
    path("<int:pk>/name/", views.certificate_name_request, name="name_request"),
]
