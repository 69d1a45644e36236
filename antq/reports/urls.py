from django.urls import path, re_path

from antq.reports import views

app_name = "reports"

urlpatterns = [
    path("results/", views.results, name="results"),
    re_path(r"^reminder/(?P<pk>\d+)\.(?P<fmt>docx|pdf)$", views.reminder, name="reminder"),
]
