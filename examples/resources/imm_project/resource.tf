resource "imm_project" "example" {
  project_name = "media_library"
  description  = "Images and videos of the marketing team"
  service_role = "AliyunIMMDefaultRole"
  template_id  = "Official:ImageManagement"

  project_max_dataset_count = 20
  dataset_max_bind_count    = 5
  dataset_max_file_count    = 1000000

  tags = {
    team = "marketing"
    env  = "production"
  }

  # Delete the project's datasets with it on destroy.
  force_destroy = false

  timeouts {
    create = "10m"
    delete = "20m"
  }
}
