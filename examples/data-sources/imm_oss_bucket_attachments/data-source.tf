data "imm_oss_bucket_attachments" "media_library" {
  project_name = "media_library"
}

output "attached_buckets" {
  value = data.imm_oss_bucket_attachments.media_library.buckets
}
