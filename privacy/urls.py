app_name = "privacy"

# The export, erasure and privacy pages (issue 20) add their addresses here.
urlpatterns: list = []
