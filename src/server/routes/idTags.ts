// idTags (RFID cards, app tokens): /api/admin/id-tags (CRUD). :id is the numeric id, else the idTag
// itself, in any case (OCPP CiString20: "abc123" is "ABC123"; the tag keeps the spelling it was added
// with). Every change is announced ('idTags.changed') after commit so chargers' local lists follow.
import { ID_TAG_SORTS, type IdTagInput } from '../../domain/idTagRegistry.js';
import { HttpError, type Router } from '../http.js';
import { bodySchema, intParam } from './chargerCalls.js';
import { offsetPaging, pageOf, sortParam } from './paging.js';
import type { RouteDeps } from './index.js';

const fields = {
  userId: { type: ['integer', 'null'], minimum: 1 },
  parentIdTag: { type: ['string', 'null'], minLength: 1, maxLength: 20 },
  status: { enum: ['Accepted', 'Blocked'] },
  expiryDate: { type: ['string', 'null'], format: 'date-time' },
  kind: { enum: ['RFID', 'App'] },
  description: { type: ['string', 'null'], maxLength: 500 },
};
// OCPP 1.6 IdToken: CiString20.
const createBody = bodySchema<IdTagInput>({
  type: 'object', additionalProperties: false, required: ['idTag'],
  properties: { idTag: { type: 'string', minLength: 1, maxLength: 20, pattern: '^\\S+$' }, ...fields },
});
const updateBody = bodySchema<Partial<Omit<IdTagInput, 'idTag'>>>({ type: 'object', additionalProperties: false, properties: fields });

export function registerIdTagRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  const { domain } = deps;
  const reg = domain.idTagRegistry;
  const tagOr404 = (raw: string | undefined) => {
    const tag = raw === undefined ? undefined : (/^\d+$/.test(raw) ? reg.byId(Number(raw)) : undefined) ?? reg.byIdTag(raw);
    if (!tag) throw new HttpError(404, 'id_tag_not_found', `no idTag ${raw}`);
    return tag;
  };

  const normalized = <T extends { expiryDate?: string | null }>(input: T): T =>
    input.expiryDate ? { ...input, expiryDate: new Date(input.expiryDate).toISOString() } : input;

  router.get('/api/admin/id-tags', 'viewer', (req) => {
    const page = pageOf(req, 100, 1000);
    const { items, total } = reg.list({
      userId: intParam(req.query.get('userId'), 'userId'), status: req.query.get('status') ?? undefined, q: req.query.get('q') ?? undefined, sort: sortParam(req, ID_TAG_SORTS), ...page,
    });
    return { body: { idTags: items, ...offsetPaging(total, page) } };
  });

  router.post('/api/admin/id-tags', 'admin', async (req) => {
    const input = normalized(createBody(req.body));
    const idTag = await domain.uow.run(() => reg.create(input)); // unknown user or parent: 422
    return { status: 201, body: { idTag } };
  });

  router.get('/api/admin/id-tags/:id', 'viewer', (req) => ({ body: { idTag: tagOr404(req.params.id) } }));

  router.put('/api/admin/id-tags/:id', 'admin', async (req) => {
    const tag = tagOr404(req.params.id);
    const input = normalized(updateBody(req.body));
    const idTag = await domain.uow.run(() => reg.update(tag.id, input));
    return { body: { idTag } };
  });

  // Past sessions keep the idTag text; a tag that is another's parent must be detached first.
  router.delete('/api/admin/id-tags/:id', 'admin', async (req) => {
    const tag = tagOr404(req.params.id);
    await domain.uow.run(() => reg.remove(tag.id)); // refused (409 id_tag_in_use) while it is another's parent
    return { status: 204 };
  });
}
