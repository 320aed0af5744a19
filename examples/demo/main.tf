# The demo: the main job, the way it runs on an Alibaba Cloud account. The
# photos are in an OSS bucket already (on a real account you upload them;
# `make demo` puts them in the emulator's fake OSS). A dataset bound to the
# bucket indexes them, faces included; a clustering run groups the faces by
# person; then every face cluster gets a name.
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
  template_id            = "Official:FaceManagement"
  dataset_max_bind_count = 2
  force_destroy          = true # destroy deletes the indexed metadata (never the photos)
}

# IMM indexes every photo already in the bucket, then new uploads as they
# come. The apply returns once the photos already there are indexed.
resource "imm_binding" "scans" {
  project_name = imm_dataset.photos.project_name
  dataset_name = imm_dataset.photos.dataset_name
  uri          = "oss://${var.photos_bucket}"
}

# Refers to the binding, so it runs once every photo is indexed.
resource "imm_figure_clustering" "faces" {
  project_name = imm_binding.scans.project_name
  dataset_name = imm_binding.scans.dataset_name
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
  name         = lookup(var.people, each.value.cover_uri, "Unknown (${each.value.cover_uri})")

  custom_labels = {
    named_by = "terraform"
  }
}
