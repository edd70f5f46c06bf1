"""Registration of a new application (登记)."""
