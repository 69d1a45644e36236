from django.urls import path

from antq.tips import views

app_name = "tips"

urlpatterns = [
    path("", views.inbox, name="index"),
    path("send/", views.send, name="send"),
    path("follow/", views.follow, name="follow"),
    path("follow/message", views.follow_message, name="follow_message"),
    path("inbox/", views.inbox, name="inbox"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("record/", views.record, name="record"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/contact", views.contact, name="contact"),
    path("<int:pk>/files/<int:file_pk>", views.attachment, name="attachment"),
    path("<int:pk>/<slug:action>", views.act, name="act"),
    path("cases/", views.cases, name="cases"),
    path("cases/new", views.case_edit, name="case_new"),
    path("cases/<int:pk>/", views.case_edit, name="case_edit"),
]
