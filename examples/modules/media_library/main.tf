# A media library: an IMM project with one dataset, and, when an OSS bucket
# is given, a binding that indexes the bucket's objects into the dataset
# (faces included with the default template), then new uploads as they come.

resource "imm_project" "this" {
  project_name  = var.project_name
  description   = var.description
  tags          = var.tags
  force_destroy = var.force_destroy
}

resource "imm_dataset" "this" {
  project_name           = imm_project.this.project_name
  dataset_name           = var.dataset_name
  description            = var.description
  template_id            = var.template_id
  dataset_max_file_count = var.max_files
  dataset_max_bind_count = 1
  force_destroy          = var.force_destroy
}

# The apply returns once the objects already in the bucket are indexed.
resource "imm_binding" "this" {
  count = var.oss_bucket == null ? 0 : 1

  project_name = imm_dataset.this.project_name
  dataset_name = imm_dataset.this.dataset_name
  uri          = "oss://${var.oss_bucket}"
}
