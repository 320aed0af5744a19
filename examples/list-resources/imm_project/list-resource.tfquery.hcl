# Find the projects of the region whose name starts with "media_" and that
# carry the tag team = "marketing", with their full objects:
#   terraform query -generate-config-out=projects.tf
# writes a resource and an import block for each.
list "imm_project" "media" {
  provider         = imm
  include_resource = true

  config {
    prefix = "media_"
    tags   = { team = "marketing" }
  }
}
