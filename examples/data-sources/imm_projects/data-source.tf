# Every production project whose name starts with "media_".
data "imm_projects" "production" {
  prefix = "media_"
  tags = {
    env = "production"
  }
}

output "production_projects" {
  value = data.imm_projects.production.names
}
