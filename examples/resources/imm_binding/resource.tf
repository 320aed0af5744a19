resource "imm_project" "example" {
  project_name  = "media_library"
  force_destroy = true
}

resource "imm_dataset" "example" {
  project_name  = imm_project.example.project_name
  dataset_name  = "campaign_2026"
  template_id   = "Official:FaceManagement"
  force_destroy = true # destroying it deletes the indexed file metadata too
}

# Index every photo of the bucket into the dataset, then new uploads as they
# come. The apply waits until the photos already there are indexed.
resource "imm_binding" "campaign_photos" {
  project_name = imm_dataset.example.project_name
  dataset_name = imm_dataset.example.dataset_name
  uri          = "oss://campaign-photos-2026"

  timeouts {
    create = "2h" # a full scan of a large bucket takes a while
  }
}

# A clustering run that refers to the binding starts once every photo is
# indexed, and so sees them all.
resource "imm_figure_clustering" "faces" {
  project_name = imm_binding.campaign_photos.project_name
  dataset_name = imm_binding.campaign_photos.dataset_name
}
