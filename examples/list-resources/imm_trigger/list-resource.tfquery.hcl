# Find a project's running triggers tagged for the production pipeline.
list "imm_trigger" "production" {
  provider = imm

  config {
    project_name = "media_library"
    state        = "Running"
    tags         = { env = "prod" }
  }
}
