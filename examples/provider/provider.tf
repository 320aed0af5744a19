terraform {
  required_providers {
    imm = {
      source = "immlabs/imm"
    }
  }
}

# Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET, or any other source in the table below).
provider "imm" {
  region = "cn-hangzhou"

  # IMM's reads lag its writes by up to 5 minutes; within this window the
  # provider trusts what it wrote.
  consistency_window = "5m"
}
