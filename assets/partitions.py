import dagster as dg

from drugtrends import REGIONS

regions = dg.StaticPartitionsDefinition(list(REGIONS))
