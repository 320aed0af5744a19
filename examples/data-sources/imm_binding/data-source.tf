data "imm_binding" "campaign_photos" {
  project_name = "media_library"
  dataset_name = "campaign_2026"
  uri          = "oss://campaign-photos-2026"
}

output "campaign_photos_indexing" {
  value = "${data.imm_binding.campaign_photos.state} (${data.imm_binding.campaign_photos.phase})"
}
