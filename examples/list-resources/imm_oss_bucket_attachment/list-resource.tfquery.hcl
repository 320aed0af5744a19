# Find every OSS bucket attached to a project.
list "imm_oss_bucket_attachment" "library" {
  provider = imm

  config {
    project_name = "media_library"
  }
}
