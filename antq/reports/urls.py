from django.urls import path

from antq.reports import views

app_name = "reports"

urlpatterns = [path("results/", views.results, name="results")]
