import base from "/work/main/end2end/playwright.config";
export default { ...base, webServer: undefined };
