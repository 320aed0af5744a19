output "project" {
  description = "The project, with the limits IMM applies."
  value = {
    name         = imm_project.archive.project_name
    tags         = imm_project.archive.tags
    max_datasets = imm_project.archive.project_max_dataset_count
    created      = imm_project.archive.create_time
  }
}

output "dataset" {
  description = "The dataset the faces were found in."
  value       = imm_dataset.photos.id
}

output "binding" {
  description = "The bucket bound to the dataset, and how IMM indexes it."
  value       = "${imm_binding.scans.uri}: ${imm_binding.scans.state}, ${imm_binding.scans.phase}"
}

output "clustering_task" {
  description = "The clustering run that found the clusters."
  value       = imm_figure_clustering.faces.task_id
}

output "people" {
  description = "Every face cluster: its name and how many faces and photos it holds."
  value = {
    for id, c in imm_figure_cluster.person : c.name => {
      faces  = c.face_count
      photos = c.image_count
      id     = id
    }
  }
}
