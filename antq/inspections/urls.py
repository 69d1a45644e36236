from django.urls import path

from antq.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/sessions", views.session_add, name="session_add"),
    path("<int:pk>/findings", views.finding_add, name="finding_add"),
    path("<int:pk>/conclusion", views.conclusion_issue, name="conclusion_issue"),
    path("<int:pk>/recommendations", views.recommendation_add, name="recommendation_add"),
    path("<int:pk>/recommendations/<int:rec_pk>/carry-over", views.carry_over, name="carry_over"),
    path("<int:pk>/close", views.close, name="close"),
    path("<int:pk>/notice.<slug:fmt>", views.notice, name="notice"),
]
