from django.urls import path

from accord.partners import views

urlpatterns = [
    path("", views.home, name="home"),
    path("framework/", views.framework_page, name="framework"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/<str:acronym>/", views.partner_detail, name="partner-detail"),
]
