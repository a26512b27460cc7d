import { mkdirSync, writeFileSync, readFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKnowledgeDir, FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { toSimplified } from '../../shared/domain/drafting/script.ts';
import { TOPIC_IDS, type TopicId } from '../../shared/vocabulary/topics.ts';
import { scratchDir } from '../scratch-dir.ts';

/** A typical enquiry per topic, as callers phrase it, in English and Traditional Chinese (incl. colloquial). */
const TYPICAL_QUERIES: Record<TopicId, { en: string; zh: string }> = {
  food_hygiene_premises: { en: 'The restaurant kitchen is filthy and I got food poisoning after eating there', zh: '間餐廳廚房好污糟，食完肚痛，懷疑食物中毒' },
  street_cleanliness: { en: 'Litter and dumped furniture all over the street, nobody sweeps it', zh: '條街好多垃圾同棄置傢俬，冇人清掃' },
  refuse_collection: { en: 'The refuse collection point has not been emptied and rubbish is overflowing', zh: '垃圾收集站啲垃圾成日冇人收，滿晒出嚟' },
  pest_rodent: { en: 'I keep seeing rats in the back lane behind my building', zh: '後巷成日見到老鼠同鼠糞' },
  mosquito_breeding: { en: 'Lots of mosquitoes breeding in stagnant water near the park', zh: '公園附近有積水，好多蚊' },
  hawker_obstruction: { en: 'Unlicensed hawkers and shop goods are blocking the pavement', zh: '無牌小販同店舖啲貨阻塞行人路' },
  water_seepage: { en: 'Water is dripping from my ceiling because of seepage from the flat above', zh: '樓上單位滲水，我屋企天花板滴水' },
  noise_construction: { en: 'Piling and drilling noise from a construction site late at night', zh: '地盤夜晚仲喺度打樁鑽地，好嘈' },
  noise_neighbourhood: { en: 'My neighbour plays loud music and karaoke every night', zh: '鄰居晚晚唱卡拉OK大聲播音樂' },
  air_pollution_smoke: { en: 'A chimney is emitting dark smoke and a bad odour', zh: '煙囪排放黑煙，有好臭嘅異味' },
  road_damage: { en: 'There is a big pothole in the road surface that is dangerous', zh: '馬路有個好大嘅坑洞，路面損毀' },
  street_light_fault: { en: 'The street light outside my home is not working, it is dark', zh: '屋企樓下條街燈唔著，燈柱壞咗' },
  traffic_signal_fault: { en: 'The traffic lights at the junction are stuck on red', zh: '路口啲交通燈壞咗，一直停喺紅燈' },
  public_transport_service: { en: 'The bus route skipped my stop and the minibus frequency is poor', zh: '巴士飛站，小巴班次又疏' },
  illegal_parking: { en: 'Cars are illegally parked and double parked blocking the road', zh: '成日有車違例泊車，並排停泊阻塞道路' },
  tree_risk: { en: 'A big tree is leaning and has a cracked branch hanging over the path', zh: '有棵大樹傾斜，有斷枝吊住好危險' },
  water_supply_interruption: { en: 'There is no water at home and the water pressure is very low', zh: '屋企停水，水壓又好低' },
  water_main_burst: { en: 'A burst water main is gushing water out of the road', zh: '爆水管，馬路湧出好多水' },
  water_bill: { en: 'My water bill is unusually high, I think the meter reading is wrong', zh: '水費單貴得離譜，懷疑水錶讀數有錯' },
  unauthorised_building_works: { en: 'My neighbour built an illegal rooftop structure', zh: '隔籬喺天台搞僭建物' },
  building_dilapidation: { en: 'Concrete is spalling and falling from the external wall of an old building', zh: '舊樓外牆石屎剝落，好驚會跌落嚟' },
  public_housing_maintenance: { en: 'The lift in my public housing estate block is broken and needs repair', zh: '公屋屋邨升降機壞咗，要維修' },
  public_housing_application: { en: 'How long is the waiting list for my public rental housing application?', zh: '想查詢公屋申請進度，仲要輪候幾耐' },
  leisure_facility_booking: { en: 'I cannot book a badminton court at the sports centre, booking system error', zh: '喺網上預訂體育館羽毛球場唔成功' },
  leisure_facility_condition: { en: 'The play equipment in the children\'s playground of the park is broken', zh: '公園兒童遊樂場啲遊樂設施壞咗' },
  identity_card: { en: 'I lost my identity card, how do I get a replacement?', zh: '我唔見咗身份證，點樣補領？' },
  travel_document: { en: 'How do I renew my HKSAR passport for travel?', zh: '點樣申請續領特區護照？' },
  salaries_tax: { en: 'Question about my salaries tax assessment and tax return', zh: '想問薪俸稅評稅同報稅表' },
  social_security_allowance: { en: 'How do I apply for CSSA or the Old Age Living Allowance?', zh: '點樣申請綜援同長者生活津貼？' },
  elderly_services: { en: 'My elderly mother needs home care or a place in a residential care home', zh: '屋企長者需要家居照顧或者入住安老院舍' },
  stray_animals: { en: 'Stray dogs are chasing people in the village and nobody catches them', zh: '村入面有流浪狗追人，冇人捉' },
  animal_welfare_cruelty: { en: 'My neighbour is beating and starving his dog, this is animal cruelty', zh: '鄰居虐待隻狗，打佢又唔餵佢食嘢' },
  slope_safety: { en: 'There was a landslide and the slope behind has cracks', zh: '後山斜坡有裂紋，怕會山泥傾瀉' },
  blocked_drain_flooding: { en: 'The drain is blocked and the road floods whenever it rains', zh: '渠道淤塞，一落雨條路就水浸' },
  government_land_occupation: { en: 'Someone fenced off government land and put containers on it', zh: '有人圍封政府土地，放咗貨櫃' },
  driving_licence: { en: 'How do I renew my full driving licence before it expires?', zh: '我個車牌就到期，點樣續領駕駛執照？' },
  vehicle_licence: { en: 'I need to renew my vehicle licence and transfer ownership of the car', zh: '架車嘅車輛牌照要續期，仲要過戶' },
  taxi_service: { en: 'The taxi driver refused to take me and overcharged', zh: '的士司機拒載兼濫收車資' },
  parking_meters_carparks: { en: 'The parking meter is broken and would not accept payment', zh: '咪錶壞咗，唔收錢' },
  road_works_obstruction: { en: 'Road works have blocked the footpath for weeks with no workers', zh: '道路工程圍住行人路幾個禮拜都冇人開工' },
  water_quality: { en: 'The tap water is yellow and smells strange', zh: '食水變黃又混濁，仲有異味' },
  employment_rights_wages: { en: 'My employer has not paid my wages for two months', zh: '僱主拖欠工資兩個月，唔俾遣散費' },
  job_seeking_services: { en: 'Where can I find job vacancies and employment services?', zh: '邊度可以搵工，有冇就業服務？' },
  workplace_safety: { en: 'Workers have no safety harness at height, unsafe working conditions', zh: '工人高空工作冇安全帶，工作環境好危險' },
  foreign_domestic_helper: { en: 'How do I employ a foreign domestic helper and what is her contract?', zh: '點樣聘請外傭，合約要注意乜嘢？' },
  rates_government_rent: { en: 'Question about my rates demand note and government rent payment', zh: '想問差餉單同地租點交' },
  tenancy_matters: { en: 'My landlord raised the rent of my subdivided unit, what are the tenancy rules?', zh: '業主加劏房租，租務規定係點？' },
  business_registration: { en: 'How do I renew my business registration certificate?', zh: '點樣續商業登記證？' },
  stamp_duty_property_tax: { en: 'How much stamp duty do I pay on a property purchase and property tax on rental income?', zh: '買樓印花稅同收租物業稅點計？' },
  birth_registration: { en: 'How do I register the birth of my baby and get a birth certificate?', zh: 'BB出世點樣辦理出生登記同申請出生證明書？' },
  marriage_registration: { en: 'How do we give notice of marriage at the marriage registry?', zh: '點樣去婚姻登記處預約註冊結婚？' },
  death_registration: { en: 'How do I register a death and get a death certificate?', zh: '屋企人過咗身，點樣登記死亡攞死亡證？' },
  visa_entry_permit: { en: 'How do I apply for an extension of stay on my visitor visa?', zh: '旅遊簽證想延期逗留點申請？' },
  library_services: { en: 'I lost my library card, how do I get a replacement and renew books?', zh: '唔見咗圖書證，點補領同續借書？' },
  cultural_programmes_venues: { en: 'How do I get a refund for a cancelled concert ticket from URBTIX?', zh: '城市電腦售票網取消咗場演唱會，點退票？' },
  swimming_pools_beaches: { en: 'Is the public swimming pool open and are lifeguards on duty at the beach?', zh: '公眾泳池開唔開，泳灘有冇救生員？' },
  country_parks_hiking: { en: 'The hiking trail in the country park is damaged and the barbecue site is full of litter', zh: '郊野公園行山徑爛咗，燒烤場好多垃圾' },
  wild_animals: { en: 'Wild pigs and monkeys keep coming into our housing estate', zh: '成日有野豬同馬騮走入屋苑' },
  dog_licence: { en: 'How do I get a dog licence and rabies vaccination for my puppy?', zh: '隻狗仔點樣領狗牌同打狂犬病針？' },
  building_management: { en: 'Dispute with the owners corporation about management fees', zh: '同業主立案法團因為管理費有爭拗' },
  guesthouse_licensing: { en: 'A flat in my building is being used as an unlicensed guesthouse', zh: '我大廈有單位做無牌賓館' },
  child_family_services: { en: 'I need child care services and family counselling', zh: '想搵幼兒照顧服務同家庭輔導' },
  rehabilitation_services: { en: 'My son has a disability and needs day training and residential care', zh: '個仔有殘疾，需要日間訓練同住宿照顧' },
  cemetery_columbarium: { en: 'How do I apply for a niche in a public columbarium?', zh: '點樣申請公眾骨灰龕位？' },
  public_market: { en: 'The public market is dirty and I want to bid for a stall', zh: '公眾街市好污糟，我想競投檔位' },
  food_safety_products: { en: 'The packaged food I bought was expired and had a foreign object inside', zh: '買到嘅包裝食品過咗期，入面仲有異物' },
  dangerous_signboards: { en: 'An abandoned signboard is dangerous and may fall on the street', zh: '有個棄置招牌鬆脫，隨時跌落街' },
  public_housing_tenancy: { en: 'How do I pay rent and add a household member to my public housing tenancy?', zh: '公屋租戶點樣繳交租金同加入住戶成員？' },
  lift_escalator_safety: { en: 'The lift in our building keeps stopping between floors and someone was trapped', zh: '大廈升降機成日故障，有人被困升降機' },
  gas_safety: { en: 'There is a smell of gas leaking from the gas water heater', zh: '煤氣熱水爐好似漏煤氣，有陣煤氣味' },
  electrical_safety: { en: 'The socket is sparking and the wiring looks dangerous', zh: '插蘇出火花，電線好危險' },
  noise_commercial_industrial: { en: 'The restaurant exhaust fan and air conditioners are noisy all night', zh: '餐廳抽氣扇同冷氣機成晚好嘈' },
  construction_waste_dumping: { en: 'A lorry dumped construction waste and rubble on the roadside at night', zh: '有貨車夜晚喺路邊亂倒建築廢料泥頭' },
  recycling_waste_reduction: { en: 'Where can I recycle plastic bottles and old electrical appliances?', zh: '膠樽同舊電器可以喺邊度回收？' },
  marine_pollution_refuse: { en: 'There is an oil slick and floating refuse in the harbour near the pier', zh: '碼頭附近海面有油污同漂浮垃圾' },
  smoking_tobacco_control: { en: 'People keep smoking in the no smoking area at the bus terminus', zh: '成日有人喺巴士總站禁煙區食煙' },
  out_of_scope: { en: 'I have a dispute with a private company about my mobile phone contract', zh: '我同私人公司有糾紛，想投訴' },
};

describe('knowledge base layer', () => {
  it('reads the repo layer by default and caches it per directory', async () => {
    const first = await FileKnowledgeBase.load();
    expect(first.dir).toBe(defaultKnowledgeDir());
    expect(await FileKnowledgeBase.load(defaultKnowledgeDir())).toBe(first);
  });

  it('has an English and a Traditional Chinese article for every topic, all valid', async () => {
    const knowledge = await FileKnowledgeBase.load();
    for (const topic of TOPIC_IDS) {
      const articles = knowledge.articlesFor(topic);
      expect(articles.length, topic).toBeGreaterThanOrEqual(1);
      for (const article of articles) {
        expect(article.body.en.length, article.id).toBeGreaterThan(100);
        expect(article.body['zh-Hant'].match(/\p{Script=Han}/gu)?.length ?? 0, article.id).toBeGreaterThan(50);
        expect(article.web, article.id).toMatch(/^https:\/\/[a-z0-9.]+\.gov\.hk\//);
      }
    }
  });

  it('lists the public hotline numbers, 1823 included, for the redactor to keep', async () => {
    const numbers = (await FileKnowledgeBase.load()).publicContactNumbers();
    expect(numbers).toEqual(expect.arrayContaining(['1823', '2868 0000', '2824 5000']));
  });

  it('has reply and SMS templates for each script', async () => {
    const templates = (await FileKnowledgeBase.load()).replyTemplates();
    for (const script of ['en', 'zh-Hant', 'zh-Hans'] as const) {
      expect(templates.reply[script].signOff).toBe('1823');
      expect(templates.sms[script]).toContain('{enquiryId}');
    }
  });

  describe.each(['en', 'zh-Hant', 'zh-Hans'] as const)('retrieval without a topic hint (%s query)', (script) => {
    it.each(TOPIC_IDS)('ranks the %s article first for its typical enquiry', async (topic) => {
      const knowledge = await FileKnowledgeBase.load();
      const query = script === 'en' ? TYPICAL_QUERIES[topic].en : script === 'zh-Hant' ? TYPICAL_QUERIES[topic].zh : toSimplified(TYPICAL_QUERIES[topic].zh);
      const [best] = knowledge.search(query, { limit: 3 });
      expect(best?.article.topic).toBe(topic);
    });
  });

  it('boosts the classified topic over a better lexical match', async () => {
    const knowledge = await FileKnowledgeBase.load();
    const [best] = knowledge.search('rats in the restaurant kitchen', { topic: 'food_hygiene_premises', limit: 1 });
    expect(best?.article.topic).toBe('food_hygiene_premises');
  });

  it('names the file and the field when an article is invalid', async () => {
    const dir = scratchDir('kb-');
    cpSync(defaultKnowledgeDir(), dir, { recursive: true });
    const file = join(dir, 'articles', 'water_bill.json');
    const articles = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    writeFileSync(file, JSON.stringify([{ ...articles[0], body: { en: 'Water bills.' } }]));
    await expect(FileKnowledgeBase.load(dir)).rejects.toThrow(/articles\/water_bill\.json:0\.body\.zh-Hant/);
  });

  it('rejects an article filed under another topic', async () => {
    const dir = scratchDir('kb-');
    mkdirSync(join(dir, 'articles'));
    cpSync(join(defaultKnowledgeDir(), 'templates.json'), join(dir, 'templates.json'));
    cpSync(join(defaultKnowledgeDir(), 'taxonomy.json'), join(dir, 'taxonomy.json'));
    cpSync(join(defaultKnowledgeDir(), 'articles', 'water_bill.json'), join(dir, 'articles', 'road_damage.json'));
    await expect(FileKnowledgeBase.load(dir)).rejects.toThrow(/road_damage\.json:0\.topic/);
  });
});
