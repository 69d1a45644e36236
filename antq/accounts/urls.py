from django.urls import path

from antq.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("me/", views.profile_view, name="profile"),
    path("second-factor/", views.second_factor_view, name="second_factor"),
    path("second-factor/setup/", views.second_factor_setup_view, name="second_factor_setup"),
    path("second-factor/remove", views.second_factor_remove_view, name="second_factor_remove"),
]
