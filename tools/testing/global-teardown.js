module.exports = async () => {
  const infra = globalThis.__HERALD_TEST_INFRA__;
  if (infra) await infra.stop();
};
