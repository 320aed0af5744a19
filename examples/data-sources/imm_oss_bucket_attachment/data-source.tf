data "imm_oss_bucket_attachment" "campaign_photos" {
  oss_bucket = "campaign-photos-2026"
}

output "campaign_photos_project" {
  value = data.imm_oss_bucket_attachment.campaign_photos.project_name
}
