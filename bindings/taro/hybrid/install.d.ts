// A side-effect module: importing it installs werun's getWeRunData, login and
// checkSession on @tarojs/taro's default export (see install.js).
export {};
