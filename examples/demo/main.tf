# The demo: a project with tags and limits, a dataset, a clustering run over
# its faces, and a name for every face cluster the run found.
#
# Cluster IDs exist only once the clustering has run, so this takes two
# applies: `terraform apply -target=imm_figure_clustering.faces`, then
# `terraform apply`.

provider "imm" {
  region   = var.region
  endpoint = var.endpoint
}

resource "imm_project" "archive" {
  project_name              = var.project_name
  description               = "Scanned family photos, 1950-2020"
  project_max_dataset_count = 10
  dataset_max_file_count    = 100000
  force_destroy             = true

  tags = {
    owner = "family"
    env   = "demo"
  }
}

resource "imm_dataset" "photos" {
  project_name           = imm_project.archive.project_name
  dataset_name           = "photos"
  description            = "Every scanned photo"
  dataset_max_bind_count = 2
}

resource "imm_figure_clustering" "faces" {
  project_name = imm_dataset.photos.project_name
  dataset_name = imm_dataset.photos.dataset_name
}

data "imm_figure_clusters" "found" {
  project_name = imm_figure_clustering.faces.project_name
  dataset_name = imm_figure_clustering.faces.dataset_name
  sort         = "FaceCount"
  order        = "desc"
}

resource "imm_figure_cluster" "person" {
  for_each = { for c in data.imm_figure_clusters.found.clusters : c.object_id => c }

  project_name = each.value.project_name
  dataset_name = each.value.dataset_name
  object_id    = each.key
  name         = lookup(var.people, each.value.cover_figure_id, "Unknown (${each.value.cover_figure_id})")

  custom_labels = {
    named_by = "terraform"
  }
}
