import { mkdirSync, writeFileSync, readFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKnowledgeDir, FileKnowledgeBase } from '../../shared/adapters/local/file-knowledge-base.ts';
import { toSimplified } from '../../shared/domain/drafting/script.ts';
import { TOPIC_IDS, type TopicId } from '../../shared/domain/topics.ts';
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
  stray_animals: { en: 'Stray dogs are chasing people in the village and wild pigs come at night', zh: '村入面有流浪狗追人，夜晚仲有野豬' },
  animal_welfare_cruelty: { en: 'My neighbour is beating and starving his dog, this is animal cruelty', zh: '鄰居虐待隻狗，打佢又唔餵佢食嘢' },
  slope_safety: { en: 'There was a landslide and the slope behind has cracks', zh: '後山斜坡有裂紋，怕會山泥傾瀉' },
  blocked_drain_flooding: { en: 'The drain is blocked and the road floods whenever it rains', zh: '渠道淤塞，一落雨條路就水浸' },
  government_land_occupation: { en: 'Someone fenced off government land and put containers on it', zh: '有人圍封政府土地，放咗貨櫃' },
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
    cpSync(join(defaultKnowledgeDir(), 'articles', 'water_bill.json'), join(dir, 'articles', 'road_damage.json'));
    await expect(FileKnowledgeBase.load(dir)).rejects.toThrow(/road_damage\.json:0\.topic/);
  });
});
