resource "imm_project" "example" {
  project_name = "media_library"
}

resource "imm_dataset" "example" {
  project_name = imm_project.example.project_name
  dataset_name = "campaign_2026"
  description  = "Photos of the 2026 campaign"
  template_id  = "Official:ImageManagement"

  dataset_max_bind_count      = 2
  dataset_max_file_count      = 500000
  dataset_max_total_file_size = 1099511627776 # 1 TiB
}
