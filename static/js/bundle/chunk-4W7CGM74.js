import{a}from"./chunk-ABGAVR2G.js";import"./chunk-XHKUZKQ4.js";import"./chunk-M5XCRLWY.js";import"./chunk-FFUZZOF5.js";import"./chunk-YPWOBM5K.js";import"./chunk-N5UICCG3.js";import"./chunk-SJ6QZ22X.js";export{a as TrainingView};
//# sourceMappingURL=chunk-4W7CGM74.js.map
