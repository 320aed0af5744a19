data "imm_dataset" "campaign" {
  project_name = "media_library"
  dataset_name = "campaign_2026"
}

output "campaign_files" {
  value = data.imm_dataset.campaign.file_count
}
