variable "region" {
  description = "Alibaba Cloud region of the IMM project."
  type        = string
  default     = "cn-hangzhou"
}

variable "endpoint" {
  description = "IMM endpoint; the demo points it at the local emulator. Null uses imm.<region>.aliyuncs.com."
  type        = string
  default     = null
}

variable "project_name" {
  description = "Name of the IMM project to create."
  type        = string
  default     = "family_archive"
}

variable "people" {
  description = "Names to give the face clusters, by the FigureId of the face on each cluster's cover."
  type        = map(string)
  default = {
    "grandma-1" = "Grandma Li"
    "mei-1"     = "Mei"
    "jun-1"     = "Jun"
    "rex-1"     = "Uncle Rex"
  }
}
