// A fastify service of your own: export `plugin`, and the tool registers it on a fastify instance
// in every worker (docs/apps.md). Run it with
//   npm run bench -- --app docs/examples/fastify-app.js --policy rr,lc
export async function plugin(fastify) {
  const greetings = new Map([['en', 'hello'], ['fr', 'bonjour'], ['de', 'hallo']]);
  fastify.get('/', async (request) => {
    const lang = request.headers['accept-language']?.slice(0, 2) ?? 'en';
    return { greeting: greetings.get(lang) ?? greetings.get('en'), at: Date.now() };
  });
}
