// Stands in for @tarojs/cli (not installed here) in Taro's real kernel
// (@tarojs/service's Kernel): the two things `taro build` adds to it, as its
// presets do in Taro 4.2.0 (packages/taro-cli/src/presets/hooks/build.ts and
// commands/build.ts): the build hooks as kernel methods, and a `build`
// command that runs the platform with the config's modify* callbacks, each
// applying the kernel's hooks of that name. The CLI's config checks
// (@tarojs/plugin-doctor) are left out.
module.exports = (ctx) => {
  for (const name of [
    'modifyWebpackChain',
    'modifyViteConfig',
    'modifyBuildAssets',
    'modifyMiniConfigs',
    'modifyComponentConfig',
    'onCompilerMake',
    'onParseCreateElement',
    'onBuildStart',
    'onBuildFinish',
    'onBuildComplete',
    'modifyRunnerOpts',
  ]) {
    ctx.registerMethod(name);
  }

  ctx.registerCommand({
    name: 'build',
    async fn({ options, config }) {
      const { platform, isWatch } = options;
      ctx.helper.fs.ensureDirSync(ctx.paths.outputPath);
      await ctx.applyPlugins('onBuildStart');
      await ctx.applyPlugins({
        name: platform,
        opts: {
          config: {
            ...config,
            isWatch,
            mode: process.env.NODE_ENV === 'production' || !isWatch ? 'production' : 'development',
            async modifyWebpackChain(chain, webpack, data) {
              await ctx.applyPlugins({ name: 'modifyWebpackChain', initialVal: chain, opts: { chain, webpack, data } });
            },
            async modifyViteConfig(viteConfig, data, viteCompilerContext) {
              await ctx.applyPlugins({ name: 'modifyViteConfig', initialVal: viteConfig, opts: { viteConfig, data, viteCompilerContext } });
            },
            async onBuildFinish({ error, stats, isWatch: watching }) {
              await ctx.applyPlugins({ name: 'onBuildFinish', opts: { error, stats, isWatch: watching } });
            },
          },
        },
      });
      await ctx.applyPlugins('onBuildComplete');
    },
  });
};
