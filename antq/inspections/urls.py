from django.urls import path

from antq.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new", views.inspection_new, name="new"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/members", views.member_add, name="member_add"),
    path("<int:pk>/extend", views.extend, name="extend"),
    path("<int:pk>/sessions/<int:session_pk>/files", views.session_file_add, name="file_add"),
    path("<int:pk>/files/<int:file_pk>", views.session_file, name="file"),
    path("<int:pk>/outline", views.outline_add, name="outline_add"),
    path("<int:pk>/outline/<int:section_pk>/remove", views.outline_remove, name="outline_remove"),
    path("<int:pk>/outline/send", views.outline_send, name="outline_send"),
    path("<int:pk>/self-reports/<int:report_pk>/", views.self_report, name="self_report"),
    path(
        "<int:pk>/self-reports/<int:report_pk>/return",
        views.self_report_return,
        name="self_report_return",
    ),
    path(
        "<int:pk>/self-reports/<int:report_pk>.<slug:fmt>",
        views.self_report_file,
        name="self_report_file",
    ),
    path("<int:pk>/sessions", views.session_add, name="session_add"),
    path("<int:pk>/findings", views.finding_add, name="finding_add"),
    path("<int:pk>/conclusion", views.conclusion_issue, name="conclusion_issue"),
    path("<int:pk>/recommendations", views.recommendation_add, name="recommendation_add"),
    path("<int:pk>/recommendations/<int:rec_pk>/carry-over", views.carry_over, name="carry_over"),
    path("<int:pk>/close", views.close, name="close"),
    path("<int:pk>/notice.<slug:fmt>", views.notice, name="notice"),
]
