data "imm_datasets" "campaigns" {
  project_name = "media_library"
  prefix       = "campaign_"
}

output "campaign_datasets" {
  value = data.imm_datasets.campaigns.names
}
