from django.urls import path

from antq.grassroots import movement_views, views

app_name = "grassroots"
urlpatterns = [
    path("", views.index, name="index"),
    # self-management models
    path("models/", views.model_list, name="models"),
    path("models.xlsx", views.models_xlsx, name="models_xlsx"),
    path("models/new/", views.model_new, name="model_new"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("models/<int:pk>/status/", views.model_status, name="model_status"),
    path("models/<int:pk>/assess/", views.model_assess, name="model_assess"),
    path("models/<int:pk>/attach/", views.model_attach, name="model_attach"),
    path("models/<int:pk>/delete/", views.model_delete, name="model_delete"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    # security teams
    path("teams/", views.team_list, name="teams"),
    path("teams.xlsx", views.teams_xlsx, name="teams_xlsx"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/new/", views.member_new, name="member_new"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    # media items
    path("media/", views.media_list, name="media"),
    path("media.xlsx", views.media_xlsx, name="media_xlsx"),
    path("media/new/", views.media_new, name="media_new"),
    path("media/import/", views.media_import, name="media_import"),
    path("media/template.xlsx", views.media_template, name="media_template"),
    path("media/<int:pk>/", views.media_detail, name="media_item"),
    path("media/<int:pk>/edit/", views.media_edit, name="media_edit"),
    path("media/<int:pk>/file/", views.media_file, name="media_file"),
    path("media/<int:pk>/delete/", views.media_delete, name="media_delete"),
    # movement events
    path("events/", views.event_list, name="events"),
    path("events.xlsx", views.events_xlsx, name="events_xlsx"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    # the annual assessment of the movement and the “An toàn về ANTT” recognitions
    path("assessments/", movement_views.assessments, name="assessments"),
    path("assessments.xlsx", movement_views.assessments_xlsx, name="assessments_xlsx"),
    path("assessments/sheet/", movement_views.sheet_create, name="sheet_create"),
    path("assessments/<int:pk>/", movement_views.assessment, name="assessment"),
    path(
        "assessments/<int:year>/<str:area_code>/",
        movement_views.assessment_edit,
        name="assessment_edit",
    ),
    path("recognitions/", movement_views.recognitions, name="recognitions"),
    path("recognitions.xlsx", movement_views.recognitions_xlsx, name="recognitions_xlsx"),
]
