from django.urls import path

from accord.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
]
