from django.contrib.auth import views as auth_views
from django.urls import path

from accord.access import audit_views, people, signin, views

urlpatterns = [
    path("login/", signin.SignInView.as_view(), name="login"),
    path("login/verify/", signin.signin_verify, name="login-verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path(
        "account/tokens/<int:pk>/revoke/", views.account_token_revoke, name="account-token-revoke"
    ),
    path("account/two-factor/", views.account_two_factor, name="account-two-factor"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/choose/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/chosen/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("people/", people.people, name="people"),
    path(
        "people/<str:username>/roles/remove/", people.people_role_remove, name="people-role-remove"
    ),
    path("people/<str:username>/deactivate/", people.people_deactivate, name="people-deactivate"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("audit/export.csv", audit_views.audit_log_csv, name="audit-log-csv"),
    path("privacy/", views.privacy, name="privacy"),
]
