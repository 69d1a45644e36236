from django.urls import path

from antq.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("results/", views.dashboard, name="dashboard"),
    path("results.xlsx", views.results_download, name="results_xlsx"),
    path("template.xlsx", views.template_download, name="template"),
    path("import/", views.template_upload, name="import"),
    path("import/<uuid:pk>/", views.import_job, name="import_job"),
    path("completeness/", views.completeness, name="completeness"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.decide, name="decide"),
    path("approvals/counts/<int:pk>/", views.derived_decide, name="derived_decide"),
    path("behind/", views.behind, name="behind"),
    path("entry/<slug:ds>/<str:area_code>/<str:period_code>/", views.entry, name="entry"),
    path("entry/<slug:ds>/<str:area_code>/<str:period_code>/submit/", views.submit, name="submit"),
    path("history/<str:code>/<str:area_code>/<str:period_code>/", views.history, name="history"),
]
