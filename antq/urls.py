from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from antq.accounts import api as accounts_api
from antq.areas import api as areas_api
from antq.directives import api as directives_api
from antq.grassroots import api as grassroots_api
from antq.indicators import api as indicators_api
from antq.inspections import api as inspections_api
from antq.reports import api as reports_api
from antq.tips import api as tips_api

admin.site.site_header = _("antq administration")
admin.site.site_title = "antq"
admin.site.index_title = _("Administration")

api_v1 = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("documents/", directives_api.DocumentListView.as_view(), name="document-list"),
    path("documents/parse", directives_api.ParseView.as_view(), name="document-parse"),
    path(
        "documents/<int:pk>/", directives_api.DocumentDetailView.as_view(), name="document-detail"
    ),
    path(
        "documents/<int:pk>/links/",
        directives_api.DocumentLinkView.as_view(),
        name="document-links",
    ),
    path("plans/<int:pk>/tasks/", directives_api.PlanTasksView.as_view(), name="plan-tasks"),
    path("plans/<int:pk>/send/", directives_api.PlanSendView.as_view(), name="plan-send"),
    path("assignments/", directives_api.AssignmentListView.as_view(), name="assignment-list"),
    path("indicators/", indicators_api.IndicatorListView.as_view(), name="indicator-list"),
    path("analytics/", indicators_api.AnalyticsView.as_view(), name="analytics"),
    path("analytics/records", indicators_api.RecordsView.as_view(), name="analytics-records"),
    path("datavalues/bulk", indicators_api.BulkValuesView.as_view(), name="datavalues-bulk"),
    path(
        "assignments/<int:pk>/progress/",
        directives_api.AssignmentProgressView.as_view(),
        name="assignment-progress",
    ),
    path("areas/", areas_api.AreaListView.as_view(), name="area-list"),
    path("areas/<str:code>/", areas_api.AreaDetailView.as_view(), name="area-detail"),
    path("areas/<str:code>/history/", areas_api.AreaHistoryView.as_view(), name="area-history"),
    path("grassroots/models/", grassroots_api.ModelListView.as_view(), name="gr-model-list"),
    path(
        "grassroots/models/<int:pk>/",
        grassroots_api.ModelDetailView.as_view(),
        name="gr-model-detail",
    ),
    path(
        "grassroots/models/<int:pk>/status",
        grassroots_api.ModelStatusView.as_view(),
        name="gr-model-status",
    ),
    path(
        "grassroots/models/<int:pk>/assessments",
        grassroots_api.ModelAssessmentView.as_view(),
        name="gr-model-assessments",
    ),
    path("grassroots/teams/", grassroots_api.TeamListView.as_view(), name="gr-team-list"),
    path(
        "grassroots/teams/<int:pk>/", grassroots_api.TeamDetailView.as_view(), name="gr-team-detail"
    ),
    path(
        "grassroots/teams/<int:pk>/members",
        grassroots_api.TeamMembersView.as_view(),
        name="gr-team-members",
    ),
    path("grassroots/media/", grassroots_api.MediaListView.as_view(), name="gr-media-list"),
    path("grassroots/media/bulk", grassroots_api.MediaBulkView.as_view(), name="gr-media-bulk"),
    path(
        "grassroots/media/<int:pk>/",
        grassroots_api.MediaDetailView.as_view(),
        name="gr-media-detail",
    ),
    path("grassroots/events/", grassroots_api.EventListView.as_view(), name="gr-event-list"),
    path(
        "grassroots/assessments/",
        grassroots_api.AssessmentListView.as_view(),
        name="gr-assessment-list",
    ),
    path("inspections/", inspections_api.InspectionListView.as_view(), name="inspection-list"),
    path(
        "inspections/<int:pk>/",
        inspections_api.InspectionDetailView.as_view(),
        name="inspection-detail",
    ),
    path("reports/results", reports_api.ResultsReportView.as_view(), name="report-results"),
    path("tips/", tips_api.SubmitView.as_view(), name="tip-submit"),
    path("tips/challenge", tips_api.ChallengeView.as_view(), name="tip-challenge"),
    path("tips/lookup", tips_api.LookupView.as_view(), name="tip-lookup"),
    path("tips/messages", tips_api.MessageView.as_view(), name="tip-message"),
    path(
        "grassroots/recognitions/",
        grassroots_api.RecognitionListView.as_view(),
        name="gr-recognition-list",
    ),
]

urlpatterns = [
    path("", include("antq.web.urls")),
    path("areas/", include("antq.areas.urls")),
    path("documents/", include("antq.directives.urls")),
    path("data/", include("antq.indicators.urls")),
    path("registries/", include("antq.grassroots.urls")),
    path("tips/", include("antq.tips.urls")),
    path("reports/", include("antq.reports.urls")),
    path("inspections/", include("antq.inspections.urls")),
    path("accounts/", include("antq.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "antq.web.views.error_400"
handler403 = "antq.web.views.error_403"
handler404 = "antq.web.views.error_404"
handler500 = "antq.web.views.error_500"
