/**
 * The topic ids of the hotline taxonomy. Full records (names, department, urgency rules, examples) live in
 * layers/knowledge; this list is the contract other code and schemas rely on.
 */
export const TOPIC_IDS = [
  'food_hygiene_premises',
  'street_cleanliness',
  'refuse_collection',
  'pest_rodent',
  'mosquito_breeding',
  'hawker_obstruction',
  'water_seepage',
  'noise_construction',
  'noise_neighbourhood',
  'air_pollution_smoke',
  'road_damage',
  'street_light_fault',
  'traffic_signal_fault',
  'public_transport_service',
  'illegal_parking',
  'tree_risk',
  'water_supply_interruption',
  'water_main_burst',
  'water_bill',
  'unauthorised_building_works',
  'building_dilapidation',
  'public_housing_maintenance',
  'public_housing_application',
  'leisure_facility_booking',
  'leisure_facility_condition',
  'identity_card',
  'travel_document',
  'salaries_tax',
  'social_security_allowance',
  'elderly_services',
  'stray_animals',
  'animal_welfare_cruelty',
  'slope_safety',
  'blocked_drain_flooding',
  'government_land_occupation',
  'out_of_scope',
] as const;
export type TopicId = (typeof TOPIC_IDS)[number];

export const DEPARTMENT_IDS = [
  'FEHD', // Food and Environmental Hygiene Department
  'EPD', // Environmental Protection Department
  'HyD', // Highways Department
  'TD', // Transport Department
  'HKPF', // Hong Kong Police Force
  'DEVB', // Development Bureau (Tree Management Office)
  'WSD', // Water Supplies Department
  'BD', // Buildings Department
  'HD', // Housing Department
  'LCSD', // Leisure and Cultural Services Department
  'ImmD', // Immigration Department
  'IRD', // Inland Revenue Department
  'SWD', // Social Welfare Department
  'AFCD', // Agriculture, Fisheries and Conservation Department
  'CEDD', // Civil Engineering and Development Department (Geotechnical Engineering Office)
  'DSD', // Drainage Services Department
  'LandsD', // Lands Department
  'EFFO', // 1823 itself (Efficiency Office) for out-of-scope enquiries
] as const;
export type DepartmentId = (typeof DEPARTMENT_IDS)[number];

export const URGENCIES = ['routine', 'priority', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
