from django.urls import path

from antq.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.document_list, name="documents"),
    path("new/", views.document_create, name="document_new"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/file/", views.document_file, name="document_file"),
    path("<int:pk>/link/", views.document_add_link, name="document_link"),
    path("<int:pk>/parse/", views.document_parse, name="document_parse"),
    path("<int:pk>/citations/", views.document_link_citations, name="document_citations"),
    path("<int:pk>/progress/", views.plan_dashboard, name="plan"),
    path("<int:pk>/tasks/new/", views.plan_add_task, name="plan_add_task"),
    path("<int:pk>/send/", views.plan_send, name="plan_send"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("tasks/overdue/", views.overdue_list, name="overdue"),
    path("tasks/mine/", views.my_tasks, name="mine"),
]
