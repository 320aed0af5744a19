resource "imm_project" "example" {
  project_name = "media_library"
}

# Lets IMM process the bucket's objects through x-oss-process, and run
# triggers and batches on them.
resource "imm_oss_bucket_attachment" "campaign_photos" {
  project_name = imm_project.example.project_name
  oss_bucket   = "campaign-photos-2026"
  description  = "Thumbnails and format conversion for the 2026 campaign"
}
