from django.urls import path

from antq.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/", views.bodies, name="bodies"),
    path("notifications/", views.notifications, name="notifications"),
]
