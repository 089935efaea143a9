import dagster as dg

from drugtrends.reference import REGIONS

regions = dg.StaticPartitionsDefinition(list(REGIONS))
