variable "region" {
  description = "Alibaba Cloud region of the IMM project and of the photos' bucket."
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

variable "photos_bucket" {
  description = "The OSS bucket the photos are in, in the same region."
  type        = string
  default     = "family-scans"
}

variable "people" {
  description = "Names to give the face clusters, by the photo on each cluster's cover (look at the covers to fill it in)."
  type        = map(string)
  default = {
    "oss://family-scans/1962/wedding.jpg"     = "Grandma Li"
    "oss://family-scans/1986/jun-newborn.jpg" = "Jun"
    "oss://family-scans/1988/fishing.jpg"     = "Uncle Rex"
    "oss://family-scans/1989/mei-newborn.jpg" = "Mei"
  }
}
