rule { name = "bad_mitre", action = "block", mitre = "Resource Hijacking", names = { "x" } }
