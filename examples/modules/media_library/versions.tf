terraform {
  required_version = ">= 1.5"
  required_providers {
    imm = {
      source = "immlabs/imm"
    }
  }
}
