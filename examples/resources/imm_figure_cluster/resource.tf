# Name a cluster whose ID you know.
resource "imm_figure_cluster" "ceo" {
  project_name = "media_library"
  dataset_name = "campaign_2026"
  object_id    = "Cluster-7bdbcedb-e72a-4d6c-a00e-3a40a0a0a1b2"

  name      = "Jane Doe"
  custom_id = "employee-0042"
  custom_labels = {
    department = "board"
  }
}

# Or name every cluster a clustering run found, by the face on its cover.
# Cluster IDs exist only after the run, so the first apply targets the run:
#   terraform apply -target=imm_figure_clustering.faces
#   terraform apply
resource "imm_figure_clustering" "faces" {
  project_name = "media_library"
  dataset_name = "campaign_2026"
}

data "imm_figure_clusters" "found" {
  project_name = imm_figure_clustering.faces.project_name
  dataset_name = imm_figure_clustering.faces.dataset_name
}

locals {
  names_by_cover_face = {
    "2cb3c51e-7f7d-4f3b-9a5b-3f1c2d9e8a10" = "Jane Doe"
    "9d41e0aa-52f1-4c55-8e0e-5b3a3b7f6c21" = "John Roe"
  }
}

resource "imm_figure_cluster" "named" {
  for_each = { for c in data.imm_figure_clusters.found.clusters : c.object_id => c }

  project_name = each.value.project_name
  dataset_name = each.value.dataset_name
  object_id    = each.key
  name         = lookup(local.names_by_cover_face, each.value.cover_figure_id, "Unnamed")
}
